import { describe, expect, it } from "vitest";
import {
  beforeRestorePath,
  defaultBackupPath,
  fileTimestamp,
  formatBytes,
  sidecarFiles,
  stagedRestorePath,
} from "./backup-files";

const at = new Date("2026-12-04T18:15:00.789Z");

describe("backup file names", () => {
  it("stamps UTC to the second, without colons", () => {
    expect(fileTimestamp(at)).toBe("20261204T181500Z");
    expect(fileTimestamp(new Date("2027-01-02T03:04:05Z"))).toBe("20270102T030405Z");
  });

  it("puts the default backup in backups/ beside the database, named after it", () => {
    expect(defaultBackupPath("/srv/crux/.data/crux.db", at)).toBe("/srv/crux/.data/backups/crux-20261204T181500Z.db");
    expect(defaultBackupPath("/data/study.sqlite", at)).toBe("/data/backups/study-20261204T181500Z.sqlite");
    expect(defaultBackupPath("/data/crux", at)).toBe("/data/backups/crux-20261204T181500Z.db");
  });

  it("keeps the replaced database and stages the restore beside the database", () => {
    expect(beforeRestorePath("/d/crux.db", at)).toBe("/d/crux.db.before-restore-20261204T181500Z");
    expect(stagedRestorePath("/d/crux.db", at)).toBe("/d/crux.db.restoring-20261204T181500Z");
  });

  it("names SQLite's files beside a database", () => {
    expect(sidecarFiles("/d/crux.db")).toEqual({
      wal: "/d/crux.db-wal",
      shm: "/d/crux.db-shm",
      journal: "/d/crux.db-journal",
    });
  });

  it("formats sizes for people", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1024)).toBe("1.0 KB");
    expect(formatBytes(4_186_112)).toBe("4.0 MB");
    expect(formatBytes(3.5 * 1024 ** 3)).toBe("3.5 GB");
  });
});
