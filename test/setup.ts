import { cleanUp } from './util';

// Runs after each test file (jest `setupFilesAfterEnv`, set in .projenrc.ts): removes every temp
// dir that test/util.ts's tempDir() made and stops what tests registered with afterTestFile().
afterAll(() => cleanUp());
