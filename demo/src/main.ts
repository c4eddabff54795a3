import { App } from './app';
import { language } from './i18n';

// The whole page is built by script; index.html only holds the mount point.
document.documentElement.lang = language;
const root = document.getElementById('app');
if (root) void new App(root).start();
