import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** A workflow file reduced to what the Operate checks read, each value with the line it is on. */
export interface WorkflowModel {
  path: string;
  /** Event names under `on:`. */
  events: Set<string>;
  /** Top-level `permissions` (undefined: not set, so the repository default applies). */
  permissions: unknown;
  jobs: JobModel[];
  /** The YAML could not be read: the other fields are empty. */
  error: string | null;
}

export interface JobModel {
  id: string;
  line: number;
  permissions: unknown;
  /** `runs-on` labels (a group name counts as a label). */
  runsOn: string[];
  /** A reusable workflow call (`jobs.<id>.uses`). */
  uses: { value: string; line: number } | null;
  secretsInherit: boolean;
  images: { image: string; line: number; where: 'container' | 'service' }[];
  steps: StepModel[];
  /** Every `${{ secrets.X }}` name the job mentions (GITHUB_TOKEN included). */
  secretNames: Set<string>;
}

export interface StepModel {
  line: number;
  uses: string | null;
  run: string | null;
  runLine: number;
  with: Record<string, { value: string; line: number }>;
}

type Plain = Record<string, unknown>;

export function parseWorkflow(filePath: string, text: string): WorkflowModel {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const empty: WorkflowModel = { path: filePath, events: new Set(), permissions: undefined, jobs: [], error: null };
  if (doc.errors.length) return { ...empty, error: doc.errors[0]!.message };
  const root = doc.contents;
  if (!isMap(root)) return { ...empty, error: 'not a mapping' };
  const line = (n: Node | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : 1);
  const get = (m: unknown, key: string): Node | undefined => (isMap(m) ? m.get(key, true) : undefined);
  const js = (n: Node | undefined): unknown => (n ? n.toJSON() : undefined);

  const onNode = get(root, 'on');
  const events = new Set<string>();
  const on = js(onNode);
  if (typeof on === 'string') events.add(on);
  else if (Array.isArray(on)) on.forEach((e) => events.add(String(e)));
  else if (on && typeof on === 'object') Object.keys(on).forEach((e) => events.add(e));

  const jobs: JobModel[] = [];
  const jobsNode = get(root, 'jobs');
  if (isMap(jobsNode)) {
    for (const pair of jobsNode.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const j = pair.value;
      const runsOnRaw = js(get(j, 'runs-on'));
      const runsOn =
        typeof runsOnRaw === 'string'
          ? [runsOnRaw]
          : Array.isArray(runsOnRaw)
            ? runsOnRaw.map(String)
            : runsOnRaw && typeof runsOnRaw === 'object'
              ? [...toList((runsOnRaw as Plain).labels), ...toList((runsOnRaw as Plain).group)]
              : [];
      const usesNode = get(j, 'uses');
      const images: JobModel['images'] = [];
      const container = get(j, 'container');
      const cImage = isScalar(container) ? container : get(container, 'image');
      if (isScalar(cImage) && typeof cImage.value === 'string' && cImage.value)
        images.push({ image: cImage.value, line: line(cImage), where: 'container' });
      const services = get(j, 'services');
      if (isMap(services)) {
        for (const s of services.items) {
          const img = get(s.value, 'image');
          if (isScalar(img) && typeof img.value === 'string' && img.value)
            images.push({ image: img.value, line: line(img), where: 'service' });
        }
      }
      const steps: StepModel[] = [];
      const stepsNode = get(j, 'steps');
      if (isSeq(stepsNode)) {
        for (const s of stepsNode.items) {
          const uses = get(s, 'uses');
          const run = get(s, 'run');
          const withNode = get(s, 'with');
          const withs: StepModel['with'] = {};
          if (isMap(withNode)) {
            for (const w of withNode.items) {
              if (isScalar(w.key))
                withs[String(w.key.value)] = {
                  value: String(isScalar(w.value) ? w.value.value : js(w.value as Node)),
                  line: line(w.value as Node),
                };
            }
          }
          steps.push({
            line: line(s as Node),
            uses: isScalar(uses) ? String(uses.value) : null,
            run: isScalar(run) ? String(run.value) : null,
            runLine: line(run),
            with: withs,
          });
        }
      }
      const secrets = get(j, 'secrets');
      jobs.push({
        id,
        line: line(pair.key as Node),
        permissions: js(get(j, 'permissions')),
        runsOn,
        uses: isScalar(usesNode) ? { value: String(usesNode.value), line: line(usesNode) } : null,
        secretsInherit: isScalar(secrets) && secrets.value === 'inherit',
        images,
        steps,
        secretNames: new Set(
          [...JSON.stringify(js(j as Node) ?? '').matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!),
        ),
      });
    }
  }
  return { path: filePath, events, permissions: js(get(root, 'permissions')), jobs, error: null };
}

function toList(v: unknown): string[] {
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [];
}

/** The job's effective permissions: its own, else the workflow's (undefined: the repository default). */
export function effectivePermissions(wf: WorkflowModel, job: JobModel): unknown {
  return job.permissions !== undefined ? job.permissions : wf.permissions;
}

/** Whether a permissions value can write anything (unset counts: the repository default may be write). */
export function canWrite(perms: unknown): boolean {
  if (perms === undefined || perms === null) return true;
  if (typeof perms === 'string') return perms === 'write-all';
  if (typeof perms === 'object') return Object.values(perms as Plain).some((v) => v === 'write');
  return false;
}
