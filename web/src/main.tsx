/**
 * The entry, small on purpose: it starts the first view's API calls and, on the Overview, draws the
 * first view (boot.ts) before React and the component library load, then loads the app. Importing
 * the app statically here would make every call and the first paint wait until the libraries have
 * been fetched and run.
 */
import { startFirstView } from './boot';

void startFirstView().finally(() => import('./app/mount'));
