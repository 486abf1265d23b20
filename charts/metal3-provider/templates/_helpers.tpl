{{- define "provider.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "provider.labels" -}}
app.kubernetes.io/part-of: metal3-provider
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "provider.image" -}}
{{- $ref := printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- if .Values.image.registry }}{{ printf "%s/%s" .Values.image.registry $ref }}{{ else }}{{ $ref }}{{ end -}}
{{- end -}}

{{/* Environment every component shares: Temporal settings, codec keys, pod identity, extraEnv. */}}
{{- define "provider.env" -}}
{{- with .Values.temporal.address }}
- name: TEMPORAL_ADDRESS
  value: {{ . | quote }}
{{- end }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
{{- if .Values.temporal.apiKey.secretName }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.temporal.apiKey.secretName }}
      key: {{ .Values.temporal.apiKey.secretKey }}
{{- end }}
{{- if .Values.codecKeys.secretName }}
- name: METAL3_PROVIDER_CODEC_KEYS_FILE
  value: /etc/metal3-provider/codec/keys.yaml
{{- end }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "provider.codecKeysMount" -}}
{{- if .Values.codecKeys.secretName }}
- name: codec-keys
  mountPath: /etc/metal3-provider/codec
  readOnly: true
{{- end }}
{{- end -}}

{{- define "provider.codecKeysVolume" -}}
{{- if .Values.codecKeys.secretName }}
- name: codec-keys
  secret:
    secretName: {{ .Values.codecKeys.secretName }}
    items:
      - key: {{ .Values.codecKeys.secretKey }}
        path: keys.yaml
{{- end }}
{{- end -}}

{{/*
One component's Deployment. Call with (dict "root" $ "component" "controller" "args" (list ...)
"replicas" n "resources" {...} "serviceAccount" name "apiAccess" bool "ports" (list ...) "volumes" []
"mounts" [] "command" (list ...)). Without apiAccess no service account token is mounted; without command
the image's entrypoint runs.
*/}}
{{- define "provider.deployment" -}}
{{- $root := .root -}}
{{- $name := printf "%s-%s" (include "provider.fullname" $root) .component | trunc 63 | trimSuffix "-" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "provider.labels" $root | nindent 4 }}
    app.kubernetes.io/name: {{ .component }}
spec:
  replicas: {{ .replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .component }}
      app.kubernetes.io/instance: {{ $root.Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .component }}
        app.kubernetes.io/instance: {{ $root.Release.Name }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $root.Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ .serviceAccount }}
      automountServiceAccountToken: {{ .apiAccess | default false }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "provider.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          {{- with .command }}
          command:
            {{- range . }}
            - {{ . | quote }}
            {{- end }}
          {{- end }}
          args:
            {{- range .args }}
            - {{ . | quote }}
            {{- end }}
          env:
            {{- include "provider.env" $root | trim | nindent 12 }}
            {{- with .env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with .ports }}
          ports:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .probes }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          {{- with .resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- $tmpMount := list (dict "name" "tmp" "mountPath" "/tmp") }}
          {{- $mounts := concat $tmpMount (include "provider.codecKeysMount" $root | fromYamlArray) (.mounts | default list) }}
          volumeMounts:
            {{- toYaml $mounts | nindent 12 }}
      {{- /* The root filesystem is read-only: /tmp (helm's home in the boot worker) is an emptyDir. */}}
      {{- $tmpVolume := list (dict "name" "tmp" "emptyDir" dict) }}
      {{- $volumes := concat $tmpVolume (include "provider.codecKeysVolume" $root | fromYamlArray) (.volumes | default list) }}
      volumes:
        {{- toYaml $volumes | nindent 8 }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}


{{/* A component's name: the release's full name and the component, e.g. <release>-metal3-provider-controller. */}}
{{- define "provider.componentName" -}}
{{- printf "%s-%s" (include "provider.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The namespaces of the BareMetalHosts: the release namespace and hostNamespaces, as a JSON list. */}}
{{- define "provider.hostNamespaces" -}}
{{- concat (list .Release.Namespace) .Values.hostNamespaces | uniq | toJson -}}
{{- end -}}

{{/* The tenant namespaces (NodeClaims' namespaces), as a JSON list. */}}
{{- define "provider.tenantNamespaces" -}}
{{- .Values.tenantNamespaces | uniq | toJson -}}
{{- end -}}

{{/* The platform namespace, required. */}}
{{- define "provider.platformNamespace" -}}
{{- .Values.platformNamespace | required "platformNamespace is required: the namespace of the platform, where bare Secret names in properties are looked up (default loft)" -}}
{{- end -}}
