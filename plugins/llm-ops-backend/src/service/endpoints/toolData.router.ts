import type { ModelAliases } from '../ModelAliases';
import type { ToolData } from '../ToolData';
import { ApiRouter, Credentials, success } from './types';

/** Reads of what the tools hold, and the model alias changes. */
export function bindToolDataEndpoints(
  router: ApiRouter,
  deps: { data: ToolData; aliases: ModelAliases; credentials: Credentials },
) {
  const { data, aliases, credentials } = deps;

  router.get('/experiments', async (req, res) => {
    await credentials(req);
    const page = await data.experiments(req.query);
    res.json(success(`${page.items.length} experiment(s)`, page));
  });

  router.get('/experiments/:id/runs', async (req, res) => {
    await credentials(req);
    const page = await data.runs(req.params.id, req.query);
    res.json(success(`${page.items.length} run(s)`, page));
  });

  router.get('/runs/:id/metrics/:key', async (req, res) => {
    await credentials(req);
    const history = await data.metricHistory(req.params.id, req.params.key);
    res.json(success(`${history.items.length} point(s)`, history));
  });

  router.get('/models', async (req, res) => {
    await credentials(req);
    const page = await data.registeredModels(req.query);
    res.json(success(`${page.items.length} registered model(s)`, page));
  });

  router.get('/models/:name', async (req, res) => {
    await credentials(req);
    const model = await data.registeredModel(req.params.name);
    res.json(
      success(`Registered model ${model.name}: ${model.versions.length} version(s)`, model),
    );
  });

  router.get('/models/:name/runs', async (req, res) => {
    await credentials(req);
    const page = await data.modelRuns(req.params.name, req.query);
    res.json(success(`${page.items.length} run(s)`, page));
  });

  router.put('/models/:name/aliases/:alias', async (req, res) => {
    const { name, alias } = req.params;
    const change = await aliases.set(
      { name, alias, version: req.body.version },
      await credentials(req),
    );
    const target = `${name}@${alias}`;
    if (change.status === 'queued') {
      res
        .status(202)
        .json(success(`${target} → ${change.version} queued: ${change.reason}`, change));
    } else {
      res.json(success(`${target} is version ${change.version}`, change));
    }
  });

  router.get('/datasets', async (req, res) => {
    await credentials(req);
    const list = await data.datasets();
    res.json(success(`${list.items.length} dataset(s)`, list));
  });

  router.get('/datasets/:name/versions', async (req, res) => {
    const caller = await credentials(req);
    const list = await data.datasetVersions(
      { namespace: req.query.namespace ?? 'default', name: req.params.name },
      caller,
    );
    res.json(success(`${list.items.length} version(s)`, list));
  });
}
