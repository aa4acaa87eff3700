import { makeStyles } from '@material-ui/core';
import { LogoMark } from './LogoIcon';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: 10 },
  mark: { width: 30, height: 30, flexShrink: 0 },
  name: {
    color: '#ffffff',
    fontSize: 22,
    fontWeight: 700,
    letterSpacing: 0.5,
    whiteSpace: 'nowrap',
  },
});

export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <LogoMark className={classes.mark} />
      <span className={classes.name}>LLM Ops</span>
    </span>
  );
};
