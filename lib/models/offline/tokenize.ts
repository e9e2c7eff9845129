/**
 * Tokenising for the offline models: lowercase word tokens, English stopwords removed, and a deliberately crude
 * suffix stripper so "lights"/"light" or "protected"/"protect" match. It only has to be consistent between the
 * query and the sentences, not linguistically right.
 */

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for
  from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself
  his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most mustn't my myself
  no nor not now of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll
  she's should shouldn't so some such than that that's the their theirs them themselves then there there's these they
  they'd they'll they're they've this those through to too under until up upon very was wasn't we we'd we'll we're
  we've were weren't what what's when when's where where's which while who who's whom why why's will with won't would
  wouldn't you you'd you'll you're you've your yours yourself yourselves s t d ll re ve m o y one two get got
  said says say like would also even much many well still yet back way thing things something anything nothing
  did does story article passage author according question answer option`
    .split(/\s+/)
    .filter(Boolean),
);

/** Whether a lowercase word is a stopword (including question/meta words such as "story" or "author"). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Reduces a lowercase word to a rough stem. Short words are left alone so "was"/"has" don't collapse oddly. */
export function stem(word: string): string {
  let w = word.replace(/['’]s$/, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("es") && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
  // "stopped" -> "stopp" -> "stop"; keeps doubled-consonant forms together with their base.
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Splits text into raw lowercase word tokens (letters/digits, inner apostrophes and hyphens kept). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Content tokens: lowercase, stopwords and single characters dropped, stemmed. Order and repeats are kept. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of words(text)) {
    const w = raw.replace(/’/g, "'");
    if (w.length < 2 || isStopword(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** Distinct content tokens of a text. */
export function termSet(text: string): Set<string> {
  return new Set(tokenize(text));
}
