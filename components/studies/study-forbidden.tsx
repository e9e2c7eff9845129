import Link from "next/link";

/** What a researcher sees for a study that is not theirs: who to ask, and none of its data. */
export function StudyForbidden({ message }: { message: string }) {
  return (
    <section className="notice">
      <h1>Not your study</h1>
      <p>{message}</p>
      <p>
        <Link href="/studies">Your studies</Link>
      </p>
    </section>
  );
}
