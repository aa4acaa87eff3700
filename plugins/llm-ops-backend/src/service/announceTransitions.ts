import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  LLM_OPS_EVENT_TOPICS,
  SUBJECTS_SIGNAL_CHANNEL,
  SubjectSignal,
} from '@llmops/plugin-llm-ops-common';
import type {
  OutputListener,
  SubjectTransition,
  TransitionListener,
} from './Lifecycle';

/** The events topic of each kind's transitions, for other plugins to react to. */
export const TRANSITION_TOPICS = {
  'training-job': LLM_OPS_EVENT_TOPICS.trainingJobStatusChanged,
  deployment: LLM_OPS_EVENT_TOPICS.deploymentStatusChanged,
} as const;

/** The transitions people are told of, with how much each matters. */
const NOTIFIED: Record<
  SubjectTransition['kind'],
  Record<string, NotificationSeverity>
> = {
  'training-job': { succeeded: 'normal', failed: 'high' },
  deployment: { ready: 'normal', degraded: 'high', failed: 'high' },
};

/** Where the portal shows each kind (the app's llm-ops routes). */
const PAGES: Record<SubjectTransition['kind'], (id: string) => string> = {
  'training-job': id => `/llm-ops/training-jobs/${encodeURIComponent(id)}`,
  deployment: () => '/llm-ops/deployments',
};

/**
 * Announces each recorded transition: on Backstage's events service (one
 * `llm-ops.*` topic per kind), as a signal to the pages that show it, and,
 * when a job ends or a deployment's health changes, as a notification to
 * its owner and to the owner of the Model entity it concerns (the
 * notifications backend resolves an entity to its owning group's members).
 */
export function announceTransitions(services: {
  events: EventsService;
  signals: SignalsService;
  notifications: NotificationService;
}): TransitionListener {
  return async (transition: SubjectTransition) => {
    await services.events.publish({
      topic: TRANSITION_TOPICS[transition.kind],
      eventPayload: transition,
    });
    const message: SubjectSignal = {
      kind: transition.kind,
      id: transition.id,
      status: transition.to,
      at: transition.at,
    };
    await services.signals.publish({
      recipients: { type: 'broadcast' },
      channel: SUBJECTS_SIGNAL_CHANNEL,
      message: { ...message },
    });
    const severity = NOTIFIED[transition.kind][transition.to];
    if (!severity) return;
    const what =
      transition.kind === 'training-job' ? 'Training job' : 'Deployment';
    await services.notifications.send({
      recipients: {
        type: 'entity',
        entityRef: [transition.owner, transition.entityRef].filter(
          (r): r is string => !!r,
        ),
      },
      payload: {
        title: `${what} ${transition.name ?? transition.id} ${transition.to}`,
        description: transition.reason,
        link: PAGES[transition.kind](transition.id),
        severity,
        topic: `llm-ops.${transition.kind}`,
        scope: `${transition.kind}:${transition.id}`,
      },
    });
  };
}

/**
 * Announces the model versions a job registered: on the events service
 * (the catalog's TrainingJob provider draws them as lineage at once), and
 * as a signal to the job's page.
 */
export function announceOutputs(services: {
  events: EventsService;
  signals: SignalsService;
}): OutputListener {
  return async output => {
    await services.events.publish({
      topic: LLM_OPS_EVENT_TOPICS.trainingJobOutputRecorded,
      eventPayload: output,
    });
    const message: SubjectSignal = {
      kind: 'training-job',
      id: output.id,
      status: 'succeeded',
      at: new Date().toISOString(),
    };
    await services.signals.publish({
      recipients: { type: 'broadcast' },
      channel: SUBJECTS_SIGNAL_CHANNEL,
      message: { ...message },
    });
  };
}
