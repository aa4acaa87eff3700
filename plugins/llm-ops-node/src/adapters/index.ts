export * from './ToolHttpClient';
export * from './MlflowAdapter';
export * from './ArgoAdapter';
export * from './KubernetesServingAdapter';
export * from './HuggingFaceAdapter';
export * from './DvcAdapter';
export * from './createConfiguredAdapters';
