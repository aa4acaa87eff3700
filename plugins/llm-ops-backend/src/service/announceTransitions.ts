import type { EventsService } from '@backstage/plugin-events-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  SUBJECTS_SIGNAL_CHANNEL,
  SubjectSignal,
} from '@llmops/plugin-llm-ops-common';
import type { SubjectTransition, TransitionListener } from './Lifecycle';

/** The events topic of each kind's transitions, for other plugins to react to. */
export const TRANSITION_TOPICS = {
  'training-job': 'llm-ops.training-job.status-changed',
  deployment: 'llm-ops.deployment.status-changed',
} as const;

/**
 * Announces each recorded transition: on Backstage's events service (one
 * `llm-ops.*` topic per kind) and as a signal to the pages that show it.
 */
export function announceTransitions(services: {
  events: EventsService;
  signals: SignalsService;
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
  };
}
