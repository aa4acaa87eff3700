import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';

/**
 * Why a card shows no data, in words for people: a designed state, not a
 * raw error panel.
 *
 * @public
 */
export function ProblemText(props: {
  children: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <Box display="flex" alignItems="flex-start" role="status">
      <ErrorOutlineIcon
        color="error"
        fontSize="small"
        style={{ marginRight: 8, marginTop: 2 }}
        aria-hidden
      />
      <Box>
        <Typography>{props.children}</Typography>
        {props.action && <Box mt={1}>{props.action}</Box>}
      </Box>
    </Box>
  );
}
