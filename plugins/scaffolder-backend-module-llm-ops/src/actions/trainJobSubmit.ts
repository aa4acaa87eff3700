import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LlmOpsActionDeps,
  LlmOpsApiClient,
  SubjectView,
} from './LlmOpsApiClient';
import {
  requireValidSpec,
  sideEffectKey,
  specToYaml,
  toolUrl,
} from './specActionHelpers';
import { examples } from './trainJobSubmit.examples';

/**
 * `llmops:trainjob:submit`: submits a TrainJobSpec through
 * `POST /llm-ops/v1/training-jobs`, as the user who runs the template. The
 * call runs in a checkpoint whose key is also the `Idempotency-Key`, so a
 * retried task never submits twice. In a dry run it validates the spec and
 * reports what it would submit.
 *
 * @public
 */
export function createTrainJobSubmitAction(deps: LlmOpsActionDeps) {
  const client = new LlmOpsApiClient(deps);
  return createTemplateAction({
    id: 'llmops:trainjob:submit',
    description:
      'Submits a TrainJobSpec to the LLM Ops API, which converts it to an Argo workflow and an MLflow run',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: z =>
          z
            .record(z.unknown())
            .describe('The TrainJobSpec document (kind: TrainJobSpec)'),
      },
      output: {
        jobId: z => z.string().describe('The training job id'),
        status: z =>
          z
            .string()
            .describe(
              'submitted (delivered to the tools), queued (delivery is retried while a tool is down) or dry-run',
            ),
        workflowUrl: z =>
          z.string().optional().describe('The Argo workflow, once delivered'),
        runUrl: z =>
          z.string().optional().describe('The MLflow run, once delivered'),
        links: z =>
          z.array(z.string()).describe('Every tool link of the job so far'),
      },
    },
    async handler(ctx) {
      const { spec } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        await requireValidSpec(client, 'TrainJobSpec', spec, ctx);
        ctx.logger.info(
          `Dry run: would submit this TrainJobSpec to POST /llm-ops/v1/training-jobs:\n${specToYaml(
            spec,
          )}`,
        );
        ctx.output('jobId', 'dry-run');
        ctx.output('status', 'dry-run');
        ctx.output('links', []);
        return;
      }

      const key = sideEffectKey('llmops:trainjob:submit', ctx);
      const job = await ctx.checkpoint({
        key,
        fn: async () => {
          const { envelope } = await client.request<SubjectView>({
            method: 'POST',
            path: '/training-jobs',
            body: { spec },
            credentials,
            idempotencyKey: key,
            kind: 'TrainJobSpec',
            signal: ctx.signal,
          });
          const view = envelope.data;
          return {
            id: view.id,
            status: view.status,
            message: envelope.message,
            workflowUrl: toolUrl(view.toolState, 'submit-workflow') ?? null,
            runUrl: toolUrl(view.toolState, 'create-run') ?? null,
          };
        },
      });

      ctx.logger.info(`${job.message}: training job ${job.id}`);
      if (job.status === 'queued') {
        ctx.logger.warn(
          `Training job ${job.id} is queued: a tool is unreachable, and the API retries the delivery; the Argo and MLflow links appear on the job once it is delivered`,
        );
      }
      ctx.output('jobId', job.id);
      ctx.output('status', job.status);
      if (job.workflowUrl) ctx.output('workflowUrl', job.workflowUrl);
      if (job.runUrl) ctx.output('runUrl', job.runUrl);
      ctx.output(
        'links',
        [job.workflowUrl, job.runUrl].filter((u): u is string => !!u),
      );
    },
  });
}
