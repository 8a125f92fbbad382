export * from './options';
export { ImageRelease } from './image-release';
