import { Route, Routes } from 'react-router-dom';
import { trainingJobRouteRef } from '../routes';
import { TrainingJobDetailPage, TrainingJobsPage } from './pages';

/** The training jobs list at its page's root, and each job at its sub-route. */
export function TrainingJobsRoutes() {
  return (
    <Routes>
      <Route path="/" element={<TrainingJobsPage />} />
      <Route
        path={trainingJobRouteRef.path}
        element={<TrainingJobDetailPage />}
      />
    </Routes>
  );
}
