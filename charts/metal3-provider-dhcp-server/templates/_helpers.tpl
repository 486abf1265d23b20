{{/* Resource name: the release name, suffixed with the chart name unless it already contains it. */}}
{{- define "dhcp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dhcp.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dhcp.labels" -}}
{{ include "dhcp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "dhcp.image" -}}
{{- $registry := .Values.image.registry -}}
{{- $ref := printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- if $registry }}{{ printf "%s/%s" $registry $ref }}{{ else }}{{ $ref }}{{ end -}}
{{- end -}}

{{/* The vip without its prefix length: the pod's SERVER_IP when it is not on the host network. */}}
{{- define "dhcp.vipAddress" -}}
{{- /* Its form (an IPv4 address with prefix) is checked by values.schema.json. */ -}}
{{- $vip := .Values.networkAttachmentDefinition.vip | required "networkAttachmentDefinition.vip is required unless hostNetwork is true" -}}
{{- first (splitList "/" $vip) -}}
{{- end -}}

{{/* The CNI config with the vip as its static address. */}}
{{- define "dhcp.cniConfig" -}}
{{- $config := fromJson .Values.networkAttachmentDefinition.config -}}
{{- if or (hasKey $config "Error") (not (hasKey $config "type")) -}}
{{- fail "networkAttachmentDefinition.config must be a CNI configuration JSON object with a \"type\"" -}}
{{- end -}}
{{- $ipam := get $config "ipam" | default dict -}}
{{- $_ := set $ipam "type" "static" -}}
{{- $_ = set $ipam "addresses" (list (dict "address" .Values.networkAttachmentDefinition.vip)) -}}
{{- $_ = set $config "ipam" $ipam -}}
{{- toJson $config -}}
{{- end -}}

{{/* The boot server's settings (dhcp, tftp, http, proxy), each value rendered with tpl. */}}
{{- define "dhcp.serverValues" -}}
{{- range $section := list "dhcp" "tftp" "http" "proxy" }}
{{ $section }}:
{{- range $key, $value := index $.Values $section }}
  {{ $key }}: {{ if kindIs "string" $value }}{{ tpl $value $ | quote }}{{ else }}{{ $value }}{{ end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The network of networkAttachmentDefinition.vip as a CIDR, e.g. 192.168.100.0/24 for 192.168.100.3/24. */}}
{{- define "dhcp.vipNetwork" -}}
{{- $address := include "dhcp.vipAddress" . -}}
{{- $prefix := last (splitList "/" .Values.networkAttachmentDefinition.vip) | int -}}
{{- $sizes := list 256 128 64 32 16 8 4 2 1 -}}
{{- $octets := list -}}
{{- range $i, $octet := splitList "." $address -}}
{{- $bits := min 8 (max 0 (sub $prefix (mul $i 8))) -}}
{{- $block := index $sizes $bits -}}
{{- $value := $octet | int -}}
{{- $octets = append $octets (sub $value (mod $value $block)) -}}
{{- end -}}
{{- printf "%s/%d" (join "." $octets) $prefix -}}
{{- end -}}
