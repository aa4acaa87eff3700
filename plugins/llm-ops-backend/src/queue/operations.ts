import type { DeploymentSpec } from '@llmops/plugin-llm-ops-common';
import type { ToolObjectRef } from '@llmops/plugin-llm-ops-node';

/**
 * A deployment revision to apply: converted to the serving tool's manifest
 * when it is delivered, once the model's files are located (an
 * `mlflow://models/<name>/<version>` source is looked up in MLflow then, so
 * a deployment made while MLflow is down waits in the queue too).
 */
export interface DeploymentRevision {
  name: string;
  environment: 'dev' | 'stg' | 'prod';
  backend: 'kserve' | 'rayserve';
  namespace?: string;
  revision: number;
  spec: DeploymentSpec;
  /** The Model entity's `source`, as resolved when the revision was made. */
  modelSource: string;
}

/**
 * Every operation the delivery queue carries to a tool: its payload, and
 * what a delivery returns (stored as the record's tool state).
 */
export interface Operations {
  'submit-workflow': {
    payload: { workflow: object };
    result: ToolObjectRef;
  };
  'stop-workflow': {
    payload: { id: string; namespace?: string };
    result: {};
  };
  'create-run': {
    payload: {
      experimentName: string;
      runName?: string;
      params: Record<string, string>;
      tags: Record<string, string>;
    };
    result: ToolObjectRef & { experimentId: string };
  };
  'set-model-alias': {
    payload: { name: string; alias: string; version: string };
    result: {};
  };
  'apply-deployment': {
    payload: { deployment: DeploymentRevision };
    result: ToolObjectRef;
  };
  'set-traffic': {
    payload: {
      name: string;
      namespace?: string;
      split: { old: number; new: number };
      /** The deployment revision the split belongs to (absent in items queued before it was stamped). */
      revision?: number;
    };
    result: {};
  };
}

/** An operation's name. */
export type OperationName = keyof Operations;
/** What a delivered operation returned, with when. */
export type ResultOf<K extends OperationName> = Operations[K]['result'] & {
  deliveredAt: string;
};

/** An operation and its payload: one discriminated union over the names. */
export type QueueOperation = {
  [K in OperationName]: { operation: K; payload: Operations[K]['payload'] };
}[OperationName];

/** The operation of a name. */
export type OperationOf<K extends OperationName> = Extract<
  QueueOperation,
  { operation: K }
>;

/** An item to put in the queue. */
export type NewOutboxItem = QueueOperation & {
  tool: string;
  /** Unique: the same key is never enqueued (so never delivered) twice. */
  dedupeKey: string;
};

/** The queue's state of an item. */
/** `superseded`: a newer change of the same kind replaced it before delivery. */
export type OutboxState = 'pending' | 'delivered' | 'failed' | 'superseded';

/** An item in the queue. */
export type OutboxItem = QueueOperation & {
  seq: number;
  subjectId: string;
  tool: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  result?: object;
};

/** The queued item of one operation. */
export type OutboxItemOf<K extends OperationName> = Extract<
  OutboxItem,
  { operation: K }
>;

/** A queue item for an operation, typed by its name. */
export function queueItem<K extends OperationName>(
  operation: K,
  options: {
    tool: string;
    dedupeKey: string;
    payload: Operations[K]['payload'];
  },
): NewOutboxItem {
  return { operation, ...options } as NewOutboxItem;
}

const OPERATION_NAMES: OperationName[] = [
  'submit-workflow',
  'stop-workflow',
  'create-run',
  'set-model-alias',
  'apply-deployment',
  'set-traffic',
];

/** Whether a name is one of the operations (a row may hold an old one). */
export function isOperationName(name: string): name is OperationName {
  return OPERATION_NAMES.includes(name as OperationName);
}
