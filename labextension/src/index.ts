import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mllens:plugin',
  description: 'ML Lens findings in the sidebar',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    console.log('jupyter-mllens activated');
  }
};

export default plugin;
