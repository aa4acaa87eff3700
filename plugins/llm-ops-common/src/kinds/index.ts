export * from './constants';
export * from './ModelEntity';
export * from './DatasetEntity';
export * from './DeploymentEntity';
export * from './TrainingJobEntity';
