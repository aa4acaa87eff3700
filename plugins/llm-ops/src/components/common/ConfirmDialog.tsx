import { ReactNode } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';

/**
 * Asks before a change that acts on a tool (a rollout, a cancel, an
 * alias): its title names what changes, its text what happens next.
 */
export function ConfirmDialog(props: {
  /** What is asked; the dialog is closed while undefined. */
  request?: { title: string; text: ReactNode; confirm: string };
  onConfirm(): void;
  onClose(): void;
}) {
  const { request, onConfirm, onClose } = props;
  return (
    <Dialog
      open={!!request}
      onClose={onClose}
      aria-labelledby="llm-ops-confirm-title"
    >
      <DialogTitle id="llm-ops-confirm-title">{request?.title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">{request?.text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Go back</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={() => {
            onClose();
            onConfirm();
          }}
        >
          {request?.confirm}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
