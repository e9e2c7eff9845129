import Link from "next/link";

export const metadata = { title: "Not found — Crux" };

/** Every missing page, and every page whose match, study or transcript does not exist (`notFound()`): HTTP 404. */
export default function NotFound() {
  return (
    <section className="notice">
      <h1>Page not found</h1>
      <p>There is nothing at this address: the link may be mistyped, or what it pointed to no longer exists.</p>
      <p>
        <Link href="/">Back to the home page</Link>, where you can start a new game.
      </p>
    </section>
  );
}
