import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LlmOpsActionDeps,
  LlmOpsApiClient,
  withSpecErrors,
} from './LlmOpsApiClient';
import {
  requireValidSpec,
  sideEffectKey,
  specToYaml,
} from './specActionHelpers';
import { examples } from './trainJobSubmit.examples';

/**
 * `llmops:trainjob:submit`: submits a TrainJobSpec through
 * `POST /llm-ops/v1/training-jobs`, as the user who runs the template. The
 * call runs in a checkpoint whose key is also the `Idempotency-Key`, so a
 * retried task never submits twice. The API validates the spec as it takes
 * the job, so no validate step is needed before it; the step outputs the
 * spec it took as YAML. In a dry run it validates the spec and
 * reports what it would submit.
 *
 * @public
 */
export function createTrainJobSubmitAction(deps: LlmOpsActionDeps) {
  const api = new LlmOpsApiClient(deps);
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
        yaml: z =>
          z
            .string()
            .describe(
              'The TrainJobSpec the API took, as YAML (in a dry run, the validated input)',
            ),
      },
    },
    async handler(ctx) {
      const { spec } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        await requireValidSpec(api, 'TrainJobSpec', spec, ctx);
        ctx.logger.info(
          `Dry run: would submit this TrainJobSpec to POST /llm-ops/v1/training-jobs:\n${specToYaml(
            spec,
          )}`,
        );
        ctx.output('jobId', 'dry-run');
        ctx.output('status', 'dry-run');
        ctx.output('links', []);
        ctx.output('yaml', specToYaml(spec));
        return;
      }

      const key = sideEffectKey('llmops:trainjob:submit', ctx);
      const job = await ctx.checkpoint({
        key,
        fn: async () => {
          const { client, options } = await api.forUser(
            credentials,
            ctx.signal,
          );
          const { message, data } = await withSpecErrors(
            'TrainJobSpec',
            client.submitTrainingJobReply(spec, {
              ...options,
              idempotencyKey: key,
            }),
          );
          return {
            id: data.id,
            status: data.status,
            message,
            yaml: specToYaml(data.spec),
            workflowUrl: data.workflow?.url ?? null,
            runUrl: data.run?.url ?? null,
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
      ctx.output('yaml', job.yaml);
    },
  });
}
