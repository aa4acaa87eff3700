export { TrainingJobsPage, TrainingJobsContent } from './TrainingJobsPage';
export {
  TrainingJobDetailPage,
  TrainingJobDetailContent,
} from './TrainingJobDetailPage';
export { DeploymentsPage, DeploymentsContent } from './DeploymentsPage';
export { SubjectStatus } from './SubjectStatus';
