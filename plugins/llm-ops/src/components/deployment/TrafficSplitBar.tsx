import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatSplit, TrafficSplit } from './trafficSplit';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 24,
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    background: theme.palette.action.disabledBackground,
  },
  old: { background: theme.palette.grey[500] },
  new: { background: theme.palette.primary.main },
}));

/** The old and new revisions' shares of the traffic, as a stacked bar. */
export function TrafficSplitBar({ split }: { split: TrafficSplit }) {
  const classes = useStyles();
  return (
    <Box>
      <Box
        className={classes.bar}
        role="img"
        aria-label={`Traffic split: ${formatSplit(split)}`}
      >
        <Box className={classes.old} style={{ width: `${split.old}%` }} />
        <Box className={classes.new} style={{ width: `${split.new}%` }} />
      </Box>
      <Typography variant="body2" data-testid="llmops-traffic-split">
        {formatSplit(split)}
      </Typography>
    </Box>
  );
}
