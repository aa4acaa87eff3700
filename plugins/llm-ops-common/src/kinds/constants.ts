/** @public */
export const LLM_OPS_API_VERSION = 'llmops.dev/v1alpha1';

/**
 * Lineage relations, each with its inverse. A relation's name says what it
 * means in the catalog graph.
 *
 * @public
 */
export const RELATION_DERIVED_FROM = 'derivedFrom';
/** @public */
export const RELATION_BASE_OF = 'baseOf';
/** @public */
export const RELATION_TRAINED_ON = 'trainedOn';
/** @public */
export const RELATION_TRAINED = 'trained';
/** A training job produced a model (one of its versions). @public */
export const RELATION_PRODUCED = 'produced';
/** @public */
export const RELATION_PRODUCED_BY = 'producedBy';
/** @public */
export const RELATION_SERVES = 'serves';
/** @public */
export const RELATION_SERVED_BY = 'servedBy';

/** Annotations written by the portal's providers. @public */
export const ANNOTATION_MLFLOW_MODEL = 'llmops.dev/mlflow-model';
/** @public */
export const ANNOTATION_HF_REPO = 'llmops.dev/hf-repo';
/** A TrainingJob entity's job id in the portal. @public */
export const ANNOTATION_TRAINING_JOB_ID = 'llmops.dev/training-job-id';
/** @public */
export const ANNOTATION_DVC_REPO = 'llmops.dev/dvc-repo';
/** The Kubernetes plugin's annotations, which a Deployment carries. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
/** @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
/** @public */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
