import { App } from './app';

// The whole page is built by script; index.html only holds the mount point.
const root = document.getElementById('app');
if (root) void new App(root).start();
