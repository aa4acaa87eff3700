import { NotImplementedError } from '@backstage/errors';
import type {
  DatasetVersion,
  DataVersioning,
  ExperimentTracker,
  HuggingFaceModelConfig,
  HuggingFaceModelInfo,
  HuggingFaceModelSummary,
  ServingObject,
  Page,
  Run,
  PageRequest,
  RegisteredModel,
} from '@llmops/plugin-llm-ops-node';
import type { HuggingFaceModelSource } from '../providers/HuggingFaceModelEntityProvider';
import type {
  ServingBackendId,
  ServingResourceLister,
} from '../providers/KubernetesServingLister';

/** A switch that makes a fake tool fail every call, as a tool that is down. */
class Switch {
  down = false;
  check(tool: string) {
    if (this.down) throw new Error(`${tool}: connect ECONNREFUSED`);
  }
}

const notHere = () => {
  throw new NotImplementedError('not part of the fake');
};

/** An in-memory MLflow registry behind the ExperimentTracker interface. */
export class FakeExperimentTracker extends Switch implements ExperimentTracker {
  readonly tool = 'mlflow';
  readonly category = 'experiment-tracking' as const;
  readonly models = new Map<string, RegisteredModel>();
  /** Runs by id, with their tags; a test adds them. */
  readonly runs = new Map<string, Run>();
  async ping() {
    this.check(this.tool);
  }
  async getRun(runId: string): Promise<Run> {
    this.check(this.tool);
    const run = this.runs.get(runId);
    if (!run) throw new Error(`mlflow: run ${runId} not found`);
    return structuredClone(run);
  }
  createRun = notHere;
  listExperiments = notHere;
  searchRuns = notHere;
  getMetricHistory = notHere;
  setModelAlias = notHere;
  getModelVersionUri = notHere;
  endRun = notHere;
  findJobModelVersions = notHere;
  getRegisteredModel = notHere;
  listModelRuns = notHere;
  async listRegisteredModels(
    page: PageRequest,
  ): Promise<Page<RegisteredModel>> {
    this.check(this.tool);
    const all = [...this.models.values()];
    const start = Number(page.pageToken ?? 0);
    const end = start + (page.maxResults ?? 100);
    return {
      items: structuredClone(all.slice(start, end)),
      nextPageToken: end < all.length ? String(end) : undefined,
    };
  }
}

/** In-memory DVC repositories behind the DataVersioning interface. */
export class FakeDataVersioning extends Switch implements DataVersioning {
  readonly tool = 'dvc';
  readonly category = 'data-versioning' as const;
  readonly datasets = new Map<
    string,
    { repo: string; path: string; versions: DatasetVersion[] }
  >();
  async ping() {
    this.check(this.tool);
  }
  async listDatasets() {
    this.check(this.tool);
    return [...this.datasets].map(([name, d]) => ({
      name,
      repo: d.repo,
      path: d.path,
    }));
  }
  async listDatasetVersions(name: string) {
    this.check(this.tool);
    return structuredClone(this.datasets.get(name)?.versions ?? []);
  }
  async findDataset(location: { repo: string; path: string }) {
    this.check(this.tool);
    return [...this.datasets].find(
      ([, d]) => d.repo === location.repo && d.path === location.path,
    )?.[0];
  }
}

/** In-memory Hub repositories: info and config.json. */
export class FakeHuggingFaceHub
  extends Switch
  implements HuggingFaceModelSource
{
  readonly repos = new Map<
    string,
    { sha: string; config: Record<string, any> }
  >();
  async getModelInfo(repoId: string): Promise<HuggingFaceModelInfo> {
    this.check('huggingface');
    const repo = this.repos.get(repoId);
    if (!repo) throw new Error(`huggingface: ${repoId} not found`);
    return { id: repoId, sha: repo.sha, tags: [], files: ['config.json'] };
  }
  async getConfig(repoId: string): Promise<HuggingFaceModelConfig> {
    this.check('huggingface');
    const repo = this.repos.get(repoId);
    if (!repo) throw new Error(`huggingface: ${repoId} not found`);
    const raw = repo.config;
    return {
      family: raw.model_type,
      maxPositionEmbeddings: raw.max_position_embeddings,
      raw,
    };
  }
  /** Finds nothing; a test that searches overrides it. */
  async searchModels(_query?: unknown): Promise<HuggingFaceModelSummary[]> {
    this.check('huggingface');
    return [];
  }
}

/** In-memory InferenceServices and RayServices of one cluster. */
export class FakeServingLister extends Switch implements ServingResourceLister {
  readonly objects: Record<ServingBackendId, ServingObject[]> = {
    kserve: [],
    rayserve: [],
  };
  async list(backend: ServingBackendId) {
    this.check(backend);
    return structuredClone(this.objects[backend]);
  }
}
