// The product's one door to @kubernetes/client-node: every product module imports the library's
// classes and types from here. `npm run build` replaces this module's compiled form with a bundle of
// just what it exports (scripts/build.ts): the library's entry loads every generated API, of which the
// provider uses five, and an idle worker held 27 MiB more for it (bench/results/startup.md).
export {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ResponseContext,
  ServerConfiguration,
  V1MicroTime,
  createConfiguration,
  makeInformer,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
export type * from '@kubernetes/client-node';
