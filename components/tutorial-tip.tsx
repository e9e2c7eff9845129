"use client";

import type { ReactNode } from "react";

/** The tutorial's explanations, in the order their elements first appear on the judge's page. */
export const TUTORIAL_TIPS = {
  sides: {
    title: "The two sides",
    text: "Each debater argues for one answer, in its own colour. Exactly one answer is correct, so one of them is arguing for a wrong answer — on purpose.",
  },
  quotes: {
    title: "Verified and unverified quotes",
    text: "Debaters back their case with quotes from the story. A quote marked ✓ verified really occurs in the story; ✗ unverified means it does not — it may be invented. Verified quotes are evidence you can trust; the debater's reading of them may still mislead.",
  },
  probabilities: {
    title: "Probabilities",
    text: "Move the slider toward the answer you believe, as far as you believe it: 70% means you would be wrong about three times in ten. Stay near the middle when unsure.",
  },
  stop: {
    title: "When to stop",
    text: "“Next round” lets the debaters answer each other; “Decide now” ends the game with your current probabilities. Stop when another round would not change your mind.",
  },
  score: {
    title: "The score",
    text: "You score 1 for putting 100% on the correct answer, 0 for 50–50 and less than 0 for leaning the wrong way: the more confident and wrong, the lower. Honest probabilities score best over many games.",
  },
} as const;

export type TutorialTipId = keyof typeof TUTORIAL_TIPS;

/**
 * One explanation of the tutorial game, shown next to the element it explains once that element is on the page.
 * `onSkip` ends the tutorial (the game goes on as a normal one).
 */
export function TutorialTip({ id, onSkip }: { id: TutorialTipId; onSkip: () => void }): ReactNode {
  const tip = TUTORIAL_TIPS[id];
  return (
    <aside className="tutorial-tip" aria-label={`Tutorial: ${tip.title}`} data-testid={`tip-${id}`}>
      <p>
        <strong>{tip.title}.</strong> {tip.text}
      </p>
      <button type="button" className="button small" onClick={onSkip}>
        Skip the tutorial
      </button>
    </aside>
  );
}
