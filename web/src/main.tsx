/**
 * The entry, small on purpose: it starts the first view's API calls (boot.ts) before React and the
 * component library load, then loads the app. Importing the app statically here would make every
 * call wait until the libraries have been fetched and run.
 */
import { startFirstView } from './boot';

startFirstView();
void import('./app/mount');
