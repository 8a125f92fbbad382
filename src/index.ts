export * from './options';
export { ImageRelease } from './image-release';
export * from './tags/tag-planner';
export * from './projects/node-operator-project';
export * from './projects/container-image-project';
