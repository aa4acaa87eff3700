import {
  EmptyState,
  InfoCard,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useCookieAuthRefresh } from '@backstage/plugin-auth-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { ProblemText } from './ProblemText';
import { toolName } from './toolNames';
import { formatDate } from '../pages/formatDate';

/** @public */
export interface ToolUiFrameProps {
  /** The tool id, such as `mlflow`. */
  tool: string;
  /**
   * The page of the tool's UI under the portal's proxy, such as
   * `#/experiments/1`: the `uiPath` the API gives for a delivered object.
   */
  path: string;
  /**
   * The same page in the tool's own UI, for the link-out (the `url` the API
   * gives); by default the tool's public URL joined with `path`.
   */
  url?: string;
  /** The card's and the frame's title. */
  title: string;
  /** The frame's height in pixels; 600 by default. */
  height?: number;
}

function joinUrl(base: string, path: string) {
  const rest = path.replace(/^\/+/, '');
  return rest ? `${base.replace(/\/+$/, '')}/${rest}` : base;
}

function OpenInTool(props: { tool: string; url: string }) {
  return (
    <LinkButton
      to={props.url}
      size="small"
      variant="outlined"
      endIcon={<OpenInNewIcon />}
    >
      Open in {toolName(props.tool)}
    </LinkButton>
  );
}

/** The frame, once the user's cookie for the proxy is fresh. */
function EmbeddedToolUi(props: {
  tool: string;
  src: string;
  title: string;
  height: number;
  linkOut?: string;
}) {
  const auth = useCookieAuthRefresh({ pluginId: 'llm-ops' });
  if (auth.status === 'loading') return <Progress />;
  if (auth.status === 'error') {
    return (
      <>
        <ResponseErrorPanel
          title="Could not sign in to the tool's UI"
          error={auth.error}
        />
        <Button onClick={auth.retry}>Retry</Button>
      </>
    );
  }
  return (
    <>
      {props.linkOut && (
        <Box display="flex" justifyContent="flex-end" mb={1}>
          <OpenInTool tool={props.tool} url={props.linkOut} />
        </Box>
      )}
      <iframe
        title={props.title}
        src={props.src}
        data-testid="llmops-tool-ui-frame"
        width="100%"
        height={props.height}
        style={{ border: 0 }}
      />
    </>
  );
}

/**
 * A page of a tool's UI, framed through the backend's same-origin proxy
 * when the tool allows it, else a link to the tool.
 *
 * @public
 */
export function ToolUiFrame(props: ToolUiFrameProps) {
  const { tool, path, url, title, height = 600 } = props;
  const api = useApi(llmOpsApiRef);
  const { value, loading, error } = useAsync(async () => {
    const [uis, health] = await Promise.all([
      api.listToolUis(),
      // the health check is a hint: without it the frame is still tried
      Promise.resolve()
        .then(() => api.listIntegrations())
        .then(all => all.find(h => h.tool === tool))
        .catch(() => undefined),
    ]);
    const ui = uis.find(u => u.tool === tool);
    const down = !!health?.configured && !health.reachable;
    const src =
      ui?.embeddable && !down ? await api.getToolUiUrl(tool, path) : undefined;
    return { ui, src, down, checkedAt: health?.checkedAt };
  }, [api, tool, path]);

  const content = () => {
    if (loading) return <Progress />;
    const linkOut =
      url ??
      (value?.ui?.publicUrl ? joinUrl(value.ui.publicUrl, path) : undefined);
    const linkOutButton = linkOut && <OpenInTool tool={tool} url={linkOut} />;
    if (error) {
      return (
        <ProblemText action={linkOutButton}>
          The portal could not tell whether {toolName(tool)}'s UI can be shown
          here ({error.message}).
        </ProblemText>
      );
    }
    if (value?.down) {
      return (
        <ProblemText action={linkOutButton}>
          Can't reach {toolName(tool)}
          {value.checkedAt
            ? ` (last checked ${formatDate(value.checkedAt)})`
            : ''}
          , so its UI can't be shown here. The rest of this page uses the
          portal's and the catalog's data.
        </ProblemText>
      );
    }
    if (value?.src) {
      return (
        <EmbeddedToolUi
          tool={tool}
          src={value.src}
          title={title}
          height={height}
          linkOut={linkOut}
        />
      );
    }
    if (linkOut) {
      return (
        <>
          <Typography paragraph>
            {toolName(tool)}'s UI can't be framed here; it opens in a new tab.
          </Typography>
          {linkOutButton}
        </>
      );
    }
    return (
      <EmptyState
        missing="info"
        title={`${toolName(tool)}'s UI is not available`}
        description={`Configure llmOps.integrations.${tool} with a UI address to show or link to it.`}
      />
    );
  };
  return <InfoCard title={title}>{content()}</InfoCard>;
}
