// What the visitor sees, frame by frame: a probe installed in the page before any of its own
// scripts that samples, in every requestAnimationFrame callback (which runs right before the
// browser paints the frame), the text and visibility of the elements a test cares about.
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
        const frame = {};
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
