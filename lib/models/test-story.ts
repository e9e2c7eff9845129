/** A tiny story, question and options shared by the prompt and model tests (test fixture, not app data). */
export const TEST_PASSAGE = [
  "Captain Ilse Varga walked slowly onto the bridge of the Meridian.",
  "She told the crew that the reactor had been leaking coolant for three days.",
  "Nobody aboard believed her until the lights in the galley flickered out.",
  "The engineer Tomas Reyes later admitted he had disabled the alarm himself.",
].join(" ");
export const TEST_QUESTION = "Why did the crew finally believe the captain?";
export const TEST_OPTIONS = ["Because the galley lights failed", "Because the engineer confessed"];
