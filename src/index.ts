export * from './options';
export { ImageRelease } from './image-release';
export * from './tags/tag-planner';
