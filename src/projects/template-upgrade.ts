import { DependencyType, javascript, Project } from 'projen';

/** The task that upgrades the template package to its newest version, majors included. */
export const TEMPLATE_UPGRADE_TASK = 'upgrade-template';

/**
 * Keeps the package a project type comes from (`projen-image-release`, or an org preset) at its
 * newest version. projen's own upgrade takes minor versions only, so a new major of the template
 * would never reach the repository; in a Node project this adds an upgrade task and workflow with
 * target `latest` for that package alone (projen's default upgrade excludes it). In any other
 * project it adds a task that installs the newest version and synthesizes.
 */
export function addTemplateUpgrade(project: Project, templatePackage: string): void {
  if (project instanceof javascript.NodeProject) {
    new javascript.UpgradeDependencies(project, {
      taskName: TEMPLATE_UPGRADE_TASK,
      include: [templatePackage],
      target: 'latest',
      pullRequestTitle: `upgrade ${templatePackage} (the project template)`,
      semanticCommit: 'chore',
      types: [DependencyType.BUILD],
    });
    return;
  }
  project.addTask(TEMPLATE_UPGRADE_TASK, {
    description: `Upgrade ${templatePackage} (the project template) to its newest version, new majors included, and synthesize`,
    steps: [
      { exec: `npm install --save-dev --no-audit --no-fund ${templatePackage}@latest` },
      { exec: 'npx projen' },
    ],
  });
}
