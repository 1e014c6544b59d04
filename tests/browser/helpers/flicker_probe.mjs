// What the visitor sees, frame by frame: a probe installed in the page before any of its own
// scripts that samples, in every requestAnimationFrame callback (which runs right before the
// browser paints the frame), the text and visibility of the elements a test cares about, and
// whether the page is held.
// Sampling stops after `forMs`, so that a long test does not keep the renderer busy.

// watched: selectors whose text and visibility are recorded; unrelated: selectors whose
// visibility is recorded (elements no campaign touches, which must never be hidden).
export async function flickerProbe(page, { watched = [], unrelated = [], forMs = 3000 } = {}) {
  await page.addInitScript(
    ({ watched, unrelated, forMs }) => {
      const frames = (window.__frames = []);
      const visible = (el) => getComputedStyle(el).visibility == 'visible' && el.getClientRects().length > 0;
      const started = performance.now();
      const sample = () => {
        // The split tag holds the whole page (every element hidden) until its signed campaigns
        // have verified: such a frame paints nothing, as if a stylesheet were still loading.
        const frame = { held: getComputedStyle(document.documentElement).visibility == 'hidden' };
        for (const s of watched) {
          const el = document.querySelector(s);
          if (el) frame[s] = { text: el.textContent, visible: visible(el) };
        }
        for (const s of unrelated) {
          const el = document.querySelector(s);
          if (el) frame[s] = { visible: getComputedStyle(el).visibility == 'visible' };
        }
        frames.push(frame);
        if (performance.now() - started < forMs) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    },
    { watched, unrelated, forMs },
  );
}

export const framesOf = (page) => page.evaluate(() => window.__frames);

// The frames from the first one that is not held on. A hold only ever comes first: a page shown
// and then held again would be a blank flash, and fails here.
export function afterHold(frames) {
  const shown = frames.findIndex((f) => !f.held);
  const rest = shown < 0 ? [] : frames.slice(shown);
  if (rest.some((f) => f.held)) throw new Error('the page was held again after it had been shown');
  return rest;
}
