import { Route, Routes } from 'react-router-dom';
import { TrainingJobDetailPage, TrainingJobsPage } from './pages';

/** The training jobs list at its page's root, and each job at `/:id`. */
export function TrainingJobsRoutes() {
  return (
    <Routes>
      <Route path="/" element={<TrainingJobsPage />} />
      <Route path="/:id" element={<TrainingJobDetailPage />} />
    </Routes>
  );
}
