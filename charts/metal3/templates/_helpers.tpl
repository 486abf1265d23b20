{{- define "metal3.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of the Ironic Deployment and Service; deployers compute the in-cluster URLs from it. */}}
{{- define "metal3.ironicName" -}}
{{- printf "%s-ironic" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "metal3.bmoName" -}}
{{- printf "%s-baremetal-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "metal3.ironicHost" -}}
{{- printf "%s.%s.svc" (include "metal3.ironicName" .) .Release.Namespace -}}
{{- end -}}

{{- define "metal3.labels" -}}
app.kubernetes.io/part-of: metal3
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "metal3.image" -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
