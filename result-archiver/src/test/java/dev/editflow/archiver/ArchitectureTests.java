package dev.editflow.archiver;

import dev.editflow.testsupport.architecture.EditflowArchitecture;

/** The house rules on this service and the editflow libraries it uses. */
class ArchitectureTests extends EditflowArchitecture {}
