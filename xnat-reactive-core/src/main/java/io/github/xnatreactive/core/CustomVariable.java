package io.github.xnatreactive.core;

/**
 * A custom variable a project defines (XNAT's project-specific field definitions, {@code studyProtocol}): the data
 * type whose objects carry it, the group it belongs to, its name and value type. Values are read and written with
 * {@link SubjectRef#customFields()} / {@link SubjectRef#setCustomFields(java.util.Map)} and the same methods of
 * {@link ExperimentRef}.
 *
 * @param dataType the data type that carries it, e.g. {@code xnat:subjectData}
 * @param group the definition group's ID, e.g. {@code clinical}
 * @param name the variable's name
 * @param type its value type as XNAT names it: {@code string}, {@code integer}, {@code float}, {@code boolean},
 *     {@code date}
 */
public record CustomVariable(String dataType, String group, String name, String type) {}
