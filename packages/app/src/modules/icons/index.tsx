import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { IconBundleBlueprint } from '@backstage/plugin-app-react';
import ApartmentIcon from '@material-ui/icons/Apartment';
import BrokenImageIcon from '@material-ui/icons/BrokenImage';
import CategoryIcon from '@material-ui/icons/Category';
import ChatIcon from '@material-ui/icons/Chat';
import CreateNewFolderIcon from '@material-ui/icons/CreateNewFolder';
import DashboardIcon from '@material-ui/icons/Dashboard';
import DescriptionIcon from '@material-ui/icons/Description';
import EmailIcon from '@material-ui/icons/Email';
import ExtensionIcon from '@material-ui/icons/Extension';
import FeaturedPlayListIcon from '@material-ui/icons/FeaturedPlayList';
import GitHubIcon from '@material-ui/icons/GitHub';
import HelpIcon from '@material-ui/icons/Help';
import LocationOnIcon from '@material-ui/icons/LocationOn';
import MemoryIcon from '@material-ui/icons/Memory';
import MenuBookIcon from '@material-ui/icons/MenuBook';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import PeopleIcon from '@material-ui/icons/People';
import PersonIcon from '@material-ui/icons/Person';
import SearchIcon from '@material-ui/icons/Search';
import StarIcon from '@material-ui/icons/Star';
import StarBorderIcon from '@material-ui/icons/StarBorder';
import StorageIcon from '@material-ui/icons/Storage';
import SubjectIcon from '@material-ui/icons/Subject';
import WarningIcon from '@material-ui/icons/Warning';

/**
 * The app's default icons as elements. @backstage/plugin-app registers its
 * defaults as components, which logs "registered as IconComponent, which is
 * deprecated" on every page load; the same icons as elements replace them.
 */
const defaultIconsAsElements = IconBundleBlueprint.make({
  name: 'default-icons-as-elements',
  params: {
    icons: {
      brokenImage: <BrokenImageIcon fontSize="inherit" />,
      catalog: <MenuBookIcon fontSize="inherit" />,
      scaffolder: <CreateNewFolderIcon fontSize="inherit" />,
      techdocs: <SubjectIcon fontSize="inherit" />,
      search: <SearchIcon fontSize="inherit" />,
      chat: <ChatIcon fontSize="inherit" />,
      dashboard: <DashboardIcon fontSize="inherit" />,
      docs: <DescriptionIcon fontSize="inherit" />,
      email: <EmailIcon fontSize="inherit" />,
      github: <GitHubIcon fontSize="inherit" />,
      group: <PeopleIcon fontSize="inherit" />,
      help: <HelpIcon fontSize="inherit" />,
      'kind:api': <ExtensionIcon fontSize="inherit" />,
      'kind:component': <MemoryIcon fontSize="inherit" />,
      'kind:domain': <ApartmentIcon fontSize="inherit" />,
      'kind:group': <PeopleIcon fontSize="inherit" />,
      'kind:location': <LocationOnIcon fontSize="inherit" />,
      'kind:system': <CategoryIcon fontSize="inherit" />,
      'kind:user': <PersonIcon fontSize="inherit" />,
      'kind:resource': <StorageIcon fontSize="inherit" />,
      'kind:template': <FeaturedPlayListIcon fontSize="inherit" />,
      user: <PersonIcon fontSize="inherit" />,
      warning: <WarningIcon fontSize="inherit" />,
      star: <StarIcon fontSize="inherit" />,
      unstarred: <StarBorderIcon fontSize="inherit" />,
      externalLink: <OpenInNewIcon fontSize="inherit" />,
    },
  },
});

export const iconsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [defaultIconsAsElements],
});
