export { DatasetModelsCard } from './DatasetModelsCard';
export { DatasetVersionsCard } from './DatasetVersionsCard';
