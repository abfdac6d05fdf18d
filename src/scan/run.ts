import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../config/load.js';
import type { Config } from '../config/types.js';
import { CliError } from '../core/errors.js';
import { elapsedMs, record, timed, timedSync, timingEnabled } from '../core/timing.js';
import { isWorkTree } from '../core/git.js';
import { readBaseline } from './filters/baseline.js';
import { dedupeAcrossCommits, oldestCommitsFirst } from './filters/dedupe.js';
import { pathAllowFilter, unusedPathGlobs } from './filters/paths.js';
import { staleAllowValues, valueAllowFilter } from './filters/values.js';
import { languageForPath } from './sast/languages.js';
import { SecretEngine } from './secrets/engine.js';
import { readBlobs } from './sources/blobs.js';
import { prePushRevs, scanCommits, type FileVersion } from './sources/commits.js';
import { keyBlockFragments, type KeyBlockCandidate } from './sources/key-blocks.js';
import { listFiles, readFileBytes, readFragment, type FileEntry } from './sources/files.js';
import { emptyStats, isBinary, type SourceStats } from './sources/fragments.js';
import { stagedFragments } from './sources/staged.js';
import type { Detector, Finding, Fragment } from './types.js';

/** Files handed to SAST at once (see flushSast): enough to share a rule compilation, small enough to hold. */
const SAST_BATCH_FILES = 256;
const SAST_BATCH_BYTES = 8 * 1024 * 1024;

export interface ScanOptions {
  /** Repository root (or scan root outside git). Finding paths are relative to it. */
  root: string;
  cwd: string;
  /** Whether root is a git work tree, when the caller knows already (else a git call finds out). */
  inGit?: boolean;
  /** PATH arguments, relative to cwd (files source only). */
  paths?: string[];
  source: 'files' | 'staged' | 'pre-push' | 'range' | 'history';
  /** git's pre-push stdin. */
  prePushInput?: string;
  remote?: string;
  range?: string;
  secrets: boolean;
  sast: boolean;
  config: Config;
  /** Baseline file (path relative to cwd) whose fingerprints are ignored. */
  baseline?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanResult {
  findings: Finding[];
  stats: {
    files: number;
    bytes: number;
    commits: number;
    ms: number;
    skipped: { binary: number; tooLarge: number; symlink: number; allowedPath: number };
  };
  /**
   * Allow entries in `.secure-repo.yml` that did nothing in a scan that covered everything (a files scan of the
   * whole tree, or --history), described without their values. Empty for partial scans.
   */
  staleAllows?: string[];
  /** Which detectors actually ran (SAST can be off by flag or config, and never runs on --history). */
  engines?: { secrets: boolean; sast: boolean };
}

function mergeStats(into: SourceStats, from: SourceStats): void {
  into.files += from.files;
  into.bytes += from.bytes;
  into.commits += from.commits;
  for (const k of Object.keys(into.skipped) as (keyof SourceStats['skipped'])[]) into.skipped[k] += from.skipped[k];
}

/**
 * The scan pipeline: a source yields fragments, the detectors (secrets, SAST) turn them into findings, then the
 * filters drop allowed values, baselined fingerprints and repeats of a secret across commits.
 */
export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const started = elapsedMs();
  const { config, root } = opts;
  const maxSize = config.scan.maxFileSize;
  const stats = emptyStats();
  const isAllowedPath = await pathAllowFilter(config.scan.allowPaths);
  // --baseline wins; else the configured one (recorded by init), which is skipped when missing: without it old
  // findings block again, which is the safe side.
  const configured =
    opts.baseline === undefined && config.scan.baseline ? path.resolve(root, config.scan.baseline) : null;
  const baseline = opts.baseline
    ? readBaseline(path.resolve(opts.cwd, opts.baseline))
    : configured && existsSync(configured)
      ? readBaseline(configured)
      : null;
  const sastOn = opts.sast && config.scan.sast.enabled && opts.source !== 'history';
  // (typed through `as`: both are assigned inside loadSecrets and loadSast, which flow analysis does not follow)
  let engine = null as SecretEngine | null;
  let sast = null as Detector | null;
  // Sources that know their files before scanning (staged, pushed commits) load the detectors once they know what
  // there is: a commit that stages nothing scannable loads no rules, and SAST loads ast-grep (and a language's
  // rules) only when a file in that language contains a word one of its rules looks for.
  const loadSecrets = (): void => {
    if (opts.secrets) engine ??= timedSync('secrets: compile the rules', () => new SecretEngine(config.scan));
  };
  const loadSast = async (files?: readonly { path: string; text: string }[]): Promise<void> => {
    if (!sastOn || sast) return;
    sast = await timed('sast: load ast-grep and the rules', async () => {
      const { createSastDetector, languagesToScan } = await import('./sast/index.js');
      if (!files) return createSastDetector(config);
      const languages = await languagesToScan(config, files);
      return languages.size > 0 ? createSastDetector(config, languages) : null;
    });
  };
  // (a files scan loads them once its listing, a git call, is under way)
  if (opts.source === 'history') {
    loadSecrets();
    await loadSast();
  }

  const findings: Finding[] = [];
  const staleAllows: string[] = [];
  // Only a scan of everything can tell that an allow entry matches nothing.
  const complete = (opts.source === 'files' && !(opts.paths && opts.paths.length > 0)) || opts.source === 'history';
  const detectSecrets = (f: Fragment): void => {
    if (!engine) return;
    const t = timingEnabled() ? performance.now() : 0;
    for (const x of engine.detect(f)) findings.push(x);
    if (t) record('secrets: scan', t, performance.now() - t);
  };
  /** A file read for secrets only: its bytes go through the prefilter before they are decoded. */
  const detectSecretsIn = (e: FileEntry): void => {
    const bytes = readFileBytes(e, maxSize, stats);
    if (!bytes || !engine) return;
    const t = timingEnabled() ? performance.now() : 0;
    for (const x of engine.detectBytes(e.rel, bytes)) findings.push(x);
    if (t) record('secrets: scan', t, performance.now() - t);
  };
  const detectSast = async (f: Fragment): Promise<void> => {
    if (!sast || !sast.wants(f.path)) return;
    const t = timingEnabled() ? performance.now() : 0;
    for (const x of await sast.detect(f)) findings.push(x);
    if (t) record('sast: scan', t, performance.now() - t);
  };
  // SAST shares work across a batch of files (one rule compilation for all of them), so files are handed over in
  // batches; a batch is bounded so a large tree is never held in memory at once.
  const sastBatch: Fragment[] = [];
  let sastBatchBytes = 0;
  const flushSast = async (): Promise<void> => {
    if (!sast || sastBatch.length === 0) return;
    const batch = sastBatch.splice(0);
    sastBatchBytes = 0;
    if (sast.prepare) await timed('sast: screen the batch', () => sast!.prepare!(batch));
    for (const f of batch) await detectSast(f);
  };
  const queueSast = async (f: Fragment): Promise<void> => {
    if (!sast || !sast.wants(f.path)) return;
    sastBatch.push(f);
    sastBatchBytes += f.text.length;
    if (sastBatch.length >= SAST_BATCH_FILES || sastBatchBytes >= SAST_BATCH_BYTES) await flushSast();
  };

  switch (opts.source) {
    case 'files': {
      const inGit = opts.inGit ?? (await isWorkTree(root));
      // The worker pool (and node:os, node:worker_threads) loads only for a files scan, never on the hook path.
      const { FileScanPool, PARALLEL_THRESHOLD_BYTES, estimateBytes, threadCount, workersAvailable } =
        await import('./secrets/pool.js');
      const threads = threadCount();
      // (typed through `as`: it is assigned inside the listing's callback, which flow analysis does not follow)
      let pool = null as InstanceType<typeof FileScanPool> | null;
      // Workers start as soon as the paths are known, so their start-up overlaps the rest of the listing.
      const listing = listFiles(root, opts.cwd, opts.paths, inGit, stats, (candidates) => {
        if (
          engine &&
          threads > 1 &&
          estimateBytes(candidates, maxSize) >= PARALLEL_THRESHOLD_BYTES &&
          workersAvailable()
        )
          pool = new FileScanPool(threads - 1, config.scan, maxSize);
      });
      // The rules compile while git lists the files (the callback above runs once git answers, after this). A
      // failed listing (a mistyped path) is reported where it is awaited, not as an unhandled rejection meanwhile.
      listing.catch(() => undefined);
      loadSecrets();
      await loadSast();
      const all = await listing;
      if (complete)
        for (const g of await unusedPathGlobs(
          config.scan.allowPaths,
          all.map((e) => e.rel),
        ))
          staleAllows.push(`scan.allowPaths "${g}" matches no file; remove it if those files are gone`);
      const entries = all.filter((e) => {
        if (!isAllowedPath(e.rel)) return true;
        stats.skipped.allowedPath++;
        return false;
      });
      if (pool) {
        const p = pool;
        p.share(entries);
        // This thread claims files like the workers do; their results arrive through the event loop afterwards.
        try {
          for (let c = p.claim(); c !== null; c = p.claim())
            for (let i = c[0]; i < c[1]; i++) detectSecretsIn(entries[i]!);
        } catch (err) {
          p.cancel();
          throw err;
        }
        for (const r of await p.finish()) {
          mergeStats(stats, r.stats);
          for (const x of r.findings) findings.push(x);
        }
        if (sast) {
          const scratch = emptyStats();
          for (const e of entries) {
            if (!sast.wants(e.rel)) continue;
            const f = readFragment(e, maxSize, scratch);
            if (f) await queueSast(f);
          }
          await flushSast();
        }
      } else {
        for (const e of entries) {
          if (!sast || !sast.wants(e.rel)) {
            detectSecretsIn(e);
            continue;
          }
          const f = readFragment(e, maxSize, stats);
          if (!f) continue;
          detectSecrets(f);
          await queueSast(f);
        }
        await flushSast();
      }
      break;
    }
    case 'staged': {
      const fragments = await timed('read the staged files', () =>
        stagedFragments(root, maxSize, stats, isAllowedPath),
      );
      if (fragments.length > 0) {
        loadSecrets();
        await loadSast(fragments);
      }
      for (const f of fragments) {
        detectSecrets(f);
        await queueSast(f);
      }
      await flushSast();
      break;
    }
    case 'pre-push':
    case 'range':
    case 'history': {
      let revs: string[] | null;
      if (opts.source === 'history') revs = ['--all'];
      else if (opts.source === 'range') {
        if (!opts.range) throw new CliError('--range needs a revision range such as main..HEAD.');
        revs = [opts.range];
      } else revs = await prePushRevs(root, opts.prePushInput ?? '', opts.remote);
      loadSecrets();
      if (!revs) break;
      // Secrets: every added line of every commit. SAST needs whole files: the newest version of each changed
      // file, reporting only lines its last change added (not for --history, where that is the whole tree).
      const versions = sastOn ? new Map<string, FileVersion>() : undefined;
      const keyBlocks: KeyBlockCandidate[] | undefined = engine ? [] : undefined;
      const scanAll = () =>
        scanCommits({
          root,
          revs,
          maxSize,
          stats,
          isAllowedPath,
          onFragment: detectSecrets,
          onProgress: opts.onProgress,
          // A push is usually a few commits: one git process. Histories and ranges read merges alongside.
          mergesApart: opts.source !== 'pre-push',
          ...(versions ? { versions } : {}),
          ...(keyBlocks ? { keyBlocks } : {}),
        });
      const before = findings.length;
      const { newestFirst } = await timed('git log -p (secrets scanned as it streams)', scanAll);
      if (newestFirst) {
        findings.push(...oldestCommitsFirst(findings.splice(before)));
        if (keyBlocks) keyBlocks.push(...oldestCommitsFirst(keyBlocks.splice(0)));
      }
      // Private keys rewritten in place: their whole blocks, read from the new blobs.
      for (const f of await keyBlockFragments(root, keyBlocks ?? [], maxSize)) detectSecrets(f);
      if (versions) {
        const wanted = [...versions].filter(([p]) => languageForPath(p) !== undefined && !isAllowedPath(p));
        const blobs =
          wanted.length > 0
            ? await readBlobs(root, [...new Set(wanted.map(([, v]) => v.blob))])
            : new Map<string, Buffer>();
        const files: Fragment[] = [];
        for (const [p, v] of wanted) {
          const buf = blobs.get(v.blob);
          if (!buf || buf.length > maxSize || isBinary(buf)) continue;
          files.push({ path: p, text: buf.toString('utf8'), commit: v.commit, addedLines: v.added });
        }
        if (files.length > 0) await loadSast(files);
        for (const f of files) await queueSast(f);
        await flushSast();
      }
      break;
    }
  }

  const allowedValue = valueAllowFilter(config.scan.allowValues);
  // The config file matches its own plain-value entries; only the rest of the tree counts as a use.
  if (complete && opts.secrets)
    staleAllows.push(
      ...staleAllowValues(
        config.scan.allowValues,
        findings.filter((f) => f.file !== CONFIG_FILE),
      ),
    );
  let kept = findings.filter((f) => !allowedValue(f) && !(baseline && baseline.has(f.fingerprint)));
  if (opts.source === 'files' || opts.source === 'staged') {
    kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  } else {
    kept = dedupeAcrossCommits(kept);
  }
  return {
    findings: kept,
    stats: { ...stats, ms: Math.round(elapsedMs() - started) },
    engines: { secrets: opts.secrets, sast: sastOn },
    staleAllows,
  };
}
