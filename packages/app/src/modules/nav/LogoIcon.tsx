import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 28, height: 28 },
});

/**
 * The portal's mark: a model's layers (three nodes) feeding one output,
 * in the sidebar's accent colour.
 */
export const LogoMark = (props: { className?: string }) => (
  <svg
    className={props.className}
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 32 32"
    role="img"
    aria-label="LLM Ops"
  >
    <g stroke="#7df3e1" strokeWidth="2" fill="none" strokeLinecap="round">
      <path d="M7 7 L25 16 M7 16 L25 16 M7 25 L25 16" />
    </g>
    <g fill="#7df3e1">
      <circle cx="7" cy="7" r="4" />
      <circle cx="7" cy="16" r="4" />
      <circle cx="7" cy="25" r="4" />
      <circle cx="25" cy="16" r="5.5" />
    </g>
  </svg>
);

export const LogoIcon = () => {
  const classes = useStyles();
  return <LogoMark className={classes.svg} />;
};
