// Point 5 of scripts/bench: placeholder until the Chromium comparison lands.
export async function chromium() {
  return null;
}
