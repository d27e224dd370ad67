import { LabIcon } from '@jupyterlab/ui-components';

/** A lens over a check mark; `jp-icon3` fills follow the light and dark themes. */
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M10 2a8 8 0 0 1 6.32 12.9l5.39 5.4a1 1 0 0 1-1.42 1.4l-5.39-5.38A8 8 0 1 1 10 2zm0 2a6 6 0 1 0 0 12 6 6 0 0 0 0-12z"/>
    <path d="M13.3 7.3a1 1 0 0 1 1.4 1.4l-5 5a1 1 0 0 1-1.4 0l-2.5-2.5a1 1 0 1 1 1.4-1.4L9 11.58z"/>
  </g>
</svg>`;

export const lensIcon = new LabIcon({ name: 'jupyter-mllens:lens', svgstr: svg });
