/**
 * The spec files' Jest environment: tracehop's wrap of Detox's (`tracehop/detox/environment` in your app),
 * which starts one mock backend per spec file and points the app at it. Re-exported here so the specs run
 * from the TypeScript sources without a build.
 */
export { default } from '../../harness/detox/environment';
