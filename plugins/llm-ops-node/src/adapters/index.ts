export * from './ToolHttpClient';
export * from './KubernetesResources';
export * from './MlflowAdapter';
export * from './ArgoAdapter';
export * from './KubernetesServingAdapter';
export * from './HuggingFaceAdapter';
export * from './DvcAdapter';
export * from './createConfiguredAdapters';
