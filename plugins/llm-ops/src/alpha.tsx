import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import {
  isDatasetEntity,
  isDeploymentEntity,
  isModelEntity,
  isTrainingJobEntity,
} from '@llmops/plugin-llm-ops-common';
import TimelineIcon from '@material-ui/icons/Timeline';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import HomeIcon from '@material-ui/icons/Home';
import MemoryIcon from '@material-ui/icons/Memory';
import StorageIcon from '@material-ui/icons/Storage';
import { IconBundleBlueprint } from '@backstage/plugin-app-react';
import SettingsInputComponentIcon from '@material-ui/icons/SettingsInputComponent';
import { LlmOpsApiClient, llmOpsApiRef } from './api';
import { llmOpsKindIcons } from './kindIcons';
import {
  hasMlflowModel,
  isRayServeDeployment,
} from './components/EntityToolUiContent';
import {
  datasetsRouteRef,
  deploymentsRouteRef,
  homeRouteRef,
  integrationsRouteRef,
  modelsRouteRef,
  servingRouteRef,
  trainingJobRouteRef,
  trainingJobsRouteRef,
} from './routes';

const llmOpsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: llmOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LlmOpsApiClient(deps),
    }),
});

// LLM Ops pages, each with a sidebar item.
const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    title: 'Home',
    icon: <HomeIcon />,
    routeRef: convertLegacyRouteRef(homeRouteRef),
    loader: () =>
      import('./components/home/LlmOpsHomePage').then(m =>
        compatWrapper(<m.LlmOpsHomePage />),
      ),
  },
});

/** A catalog view of one kind, with columns that fit it. */
function kindPage(
  name: 'models' | 'datasets' | 'serving',
  title: string,
  icon: JSX.Element,
  routeRef: typeof modelsRouteRef,
  page: 'ModelsListPage' | 'DatasetsListPage' | 'ServingListPage',
) {
  return PageBlueprint.make({
    name,
    params: {
      path: `/llm-ops/${name}`,
      title,
      icon,
      routeRef: convertLegacyRouteRef(routeRef),
      loader: () =>
        import('./components/catalogList/KindListPages').then(m => {
          const Page = m[page];
          return compatWrapper(<Page />);
        }),
    },
  });
}

const kindPages = [
  kindPage(
    'models',
    'Models',
    <MemoryIcon />,
    modelsRouteRef,
    'ModelsListPage',
  ),
  kindPage(
    'datasets',
    'Datasets',
    <StorageIcon />,
    datasetsRouteRef,
    'DatasetsListPage',
  ),
  kindPage(
    'serving',
    'Deployments',
    <CloudQueueIcon />,
    servingRouteRef,
    'ServingListPage',
  ),
];

/** The kinds' icons as `kind:<kind>`, from the map the lineage graph uses. */
const kindIcons = IconBundleBlueprint.make({
  name: 'llm-ops-kinds',
  params: {
    icons: Object.fromEntries(
      Object.entries(llmOpsKindIcons).map(([kind, Icon]) => [
        `kind:${kind}`,
        <Icon />,
      ]),
    ),
  },
});

const trainingJobsPage = PageBlueprint.make({
  name: 'training-jobs',
  params: {
    path: '/llm-ops/training-jobs',
    title: 'Training jobs',
    icon: <TimelineIcon />,
    routeRef: convertLegacyRouteRef(trainingJobsRouteRef),
    loader: () =>
      import('./components/TrainingJobsRoutes').then(m =>
        compatWrapper(<m.TrainingJobsRoutes />),
      ),
  },
});

const deploymentsPage = PageBlueprint.make({
  name: 'deployments',
  params: {
    path: '/llm-ops/deployments',
    title: 'Rollouts',
    icon: <CallSplitIcon />,
    routeRef: convertLegacyRouteRef(deploymentsRouteRef),
    loader: () =>
      import('./components/pages').then(m =>
        compatWrapper(<m.DeploymentsPage />),
      ),
  },
});

const integrationsPage = PageBlueprint.make({
  name: 'integrations',
  params: {
    path: '/llm-ops/integrations',
    title: 'Tool health',
    icon: <SettingsInputComponentIcon />,
    routeRef: convertLegacyRouteRef(integrationsRouteRef),
    loader: () =>
      import('./components/IntegrationsHealthPage').then(m =>
        compatWrapper(<m.IntegrationsHealthPage />),
      ),
  },
});

/** An entity card that only shows for entities the filter accepts. */
function card<TName extends string>(
  name: TName,
  filter: (entity: Entity) => boolean,
  loader: () => Promise<JSX.Element>,
  type: 'info' | 'content' = 'content',
) {
  return EntityCardBlueprint.make({ name, params: { filter, loader, type } });
}

// Model entity pages
const modelCards = [
  card(
    'model-overview',
    isModelEntity,
    () =>
      import('./components/ModelOverviewCard').then(m =>
        compatWrapper(<m.ModelOverviewCard />),
      ),
    'info',
  ),
  card(
    'model-registry',
    e => isModelEntity(e) && hasMlflowModel(e),
    () =>
      import('./components/model').then(m =>
        compatWrapper(<m.ModelRegistryCard />),
      ),
  ),
  card('model-deployments', isModelEntity, () =>
    import('./components/model').then(m =>
      compatWrapper(<m.ModelDeploymentsCard />),
    ),
  ),
];

const modelRunsContent = EntityContentBlueprint.make({
  name: 'model-runs',
  params: {
    path: '/runs',
    title: 'Training runs',
    filter: e => isModelEntity(e) && hasMlflowModel(e),
    loader: () =>
      import('./components/model').then(m =>
        compatWrapper(<m.ModelRunsContent />),
      ),
  },
});

const modelMlflowContent = EntityContentBlueprint.make({
  name: 'model-mlflow',
  params: {
    path: '/mlflow',
    title: 'MLflow',
    filter: e => isModelEntity(e) && hasMlflowModel(e),
    loader: () =>
      import('./components/EntityToolUiContent').then(m =>
        compatWrapper(<m.EntityMlflowModelContent />),
      ),
  },
});

// TrainingJob entity pages
const trainingJobCards = [
  card(
    'training-job-overview',
    isTrainingJobEntity,
    () =>
      import('./components/trainingJob/TrainingJobEntityCard').then(m =>
        compatWrapper(<m.TrainingJobEntityCard />),
      ),
    'info',
  ),
];

// Dataset entity pages
const datasetCards = [
  card('dataset-versions', isDatasetEntity, () =>
    import('./components/dataset').then(m =>
      compatWrapper(<m.DatasetVersionsCard />),
    ),
  ),
  card('dataset-models', isDatasetEntity, () =>
    import('./components/dataset').then(m =>
      compatWrapper(<m.DatasetModelsCard />),
    ),
  ),
];

// Deployment entity pages
const deploymentCards = [
  card('deployment-rollout', isDeploymentEntity, () =>
    import('./components/deployment').then(m =>
      compatWrapper(<m.DeploymentRolloutCard />),
    ),
  ),
  card(
    'deployment-runtime',
    isDeploymentEntity,
    () =>
      import('./components/deployment').then(m =>
        compatWrapper(<m.DeploymentRuntimeCard />),
      ),
    'info',
  ),
  card('deployment-conditions', isDeploymentEntity, () =>
    import('./components/deployment').then(m =>
      compatWrapper(<m.DeploymentConditionsCard />),
    ),
  ),
];

const rayDashboardContent = EntityContentBlueprint.make({
  name: 'deployment-ray-dashboard',
  params: {
    path: '/ray',
    title: 'Ray dashboard',
    filter: isRayServeDeployment,
    loader: () =>
      import('./components/EntityToolUiContent').then(m =>
        compatWrapper(<m.EntityRayDashboardContent />),
      ),
  },
});

// The scaffolder form fields of the spec forms.
const formFields = [
  FormFieldBlueprint.make({
    name: 'llm-ops-spec',
    params: {
      field: () =>
        import('./scaffolder/formField').then(m => m.llmOpsSpecFormField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'llm-ops-entity',
    params: {
      field: () =>
        import('./scaffolder/formField').then(m => m.llmOpsEntityFormField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'llm-ops-train-defaults',
    params: {
      field: () =>
        import('./scaffolder/formField').then(
          m => m.llmOpsTrainDefaultsFormField,
        ),
    },
  }),
];

/**
 * The LLM Ops frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'llm-ops',
  extensions: [
    llmOpsApi,
    homePage,
    ...kindPages,
    kindIcons,
    trainingJobsPage,
    deploymentsPage,
    integrationsPage,
    ...modelCards,
    modelRunsContent,
    modelMlflowContent,
    ...trainingJobCards,
    ...datasetCards,
    ...deploymentCards,
    rayDashboardContent,
    ...formFields,
  ],
  routes: convertLegacyRouteRefs({
    trainingJobs: trainingJobsRouteRef,
    trainingJob: trainingJobRouteRef,
    deployments: deploymentsRouteRef,
    integrations: integrationsRouteRef,
    home: homeRouteRef,
    models: modelsRouteRef,
    datasets: datasetsRouteRef,
    serving: servingRouteRef,
  }),
});
