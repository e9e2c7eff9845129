import { EXPORT_TABLE_DEFS, EXPORT_TABLES } from "@/lib/export/columns";
import { EXPORT_FORMATS } from "@/lib/export/export-study";

const FORMAT_LABELS: Record<(typeof EXPORT_FORMATS)[number], string> = {
  csv: "CSV (spreadsheets, R, pandas)",
  jsonl: "JSON Lines (exact text)",
};

/**
 * The study's downloads: a plain GET form on the export route, so each button downloads with no script — one per
 * table (lib/export/columns.ts), and every table with the codebook as one zip. The raw-ids box is shown to the
 * owner and admins only (the route refuses it to anyone else).
 */
export function ExportPanel({ studyId, mayExportRaw }: { studyId: string; mayExportRaw: boolean }) {
  return (
    <form method="get" action={`/api/studies/${studyId}/export`} className="export-panel" aria-label="Export">
      <fieldset className="study-fieldset">
        <legend>Format</legend>
        {EXPORT_FORMATS.map((format) => (
          <label key={format}>
            <input type="radio" name="format" value={format} defaultChecked={format === "csv"} />{" "}
            {FORMAT_LABELS[format]}
          </label>
        ))}
        {mayExportRaw && (
          <label>
            <input type="checkbox" name="raw" value="1" /> Include raw external ids (Prolific ids and user ids instead
            of per-study pseudonyms; the download is recorded in the audit log)
          </label>
        )}
      </fieldset>
      <p>
        <button type="submit" name="table" value="all" className="button primary">
          All tables (zip)
        </button>
      </p>
      <ul className="export-tables">
        {EXPORT_TABLES.map((table) => (
          <li key={table}>
            <button type="submit" name="table" value={table} className="button small">
              {table}
            </button>{" "}
            <span className="muted">{EXPORT_TABLE_DEFS[table].title}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}
