import type { IconComponent } from '@backstage/core-plugin-api';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import MemoryIcon from '@material-ui/icons/Memory';
import StorageIcon from '@material-ui/icons/Storage';
import TimelineIcon from '@material-ui/icons/Timeline';

/**
 * The LLM Ops kinds' icons, by lowercase kind: the catalog's entity
 * presentation API (`kindIcons`) and the app's `kind:<kind>` icon bundle.
 *
 * @public
 */
export const llmOpsKindIcons: Record<
  'model' | 'dataset' | 'deployment' | 'trainingjob',
  IconComponent
> = {
  model: MemoryIcon,
  dataset: StorageIcon,
  deployment: CloudQueueIcon,
  trainingjob: TimelineIcon,
};
