import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { iconsModule } from './modules/icons';
import {
  catalogGraphLineageModule,
  catalogLineageModule,
} from './modules/lineage';
import { navModule } from './modules/nav';

// Every other plugin in package.json is discovered (app.packages: all).
export default createApp({
  features: [
    catalogPlugin,
    navModule,
    iconsModule,
    catalogLineageModule,
    catalogGraphLineageModule,
  ],
});
