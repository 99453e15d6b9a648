{{/*
Chart name, truncated to the 63 characters Kubernetes allows in names.
*/}}
{{- define "jiyue.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name. Components append a suffix, so this stays at 52 characters.
*/}}
{{- define "jiyue.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "jiyue.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "jiyue.labels" -}}
helm.sh/chart: {{ include "jiyue.chart" . }}
{{ include "jiyue.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: jiyue
{{- end }}

{{/*
Selector labels. Workloads add app.kubernetes.io/component so their selectors do not overlap.
*/}}
{{- define "jiyue.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jiyue.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
ServiceAccount used by web, worker and beat.
*/}}
{{- define "jiyue.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "jiyue.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image reference.
*/}}
{{- define "jiyue.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/*
Name of the ConfigMap with non-secret settings.
*/}}
{{- define "jiyue.configMapName" -}}
{{- printf "%s-config" (include "jiyue.fullname" .) }}
{{- end }}

{{/*
Name of the Secret with DATABASE_URL, REDIS_URL, JIYUE_SECRET_KEY and the S3 keys.
*/}}
{{- define "jiyue.secretName" -}}
{{- if .Values.secrets.create }}
{{- printf "%s-secret" (include "jiyue.fullname" .) }}
{{- else }}
{{- required "secrets.existingSecret is required when secrets.create is false" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/*
Host names served by the Ingress: ingress.hosts plus the console host, without duplicates.
*/}}
{{- define "jiyue.ingressHosts" -}}
{{- $hosts := list }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts (toString .) }}
{{- end }}
{{- if and .Values.ingress.includeConsoleHost .Values.config.consoleHost }}
{{- $hosts = append $hosts .Values.config.consoleHost }}
{{- end }}
{{- toJson (uniq $hosts) }}
{{- end }}

{{/*
JIYUE_ALLOWED_HOSTS: config.allowedHosts, or derived from the console host and the
ingress hosts, with "*.example.cn" written the Django way as ".example.cn".
*/}}
{{- define "jiyue.allowedHosts" -}}
{{- if .Values.config.allowedHosts }}
{{- .Values.config.allowedHosts }}
{{- else }}
{{- $hosts := list }}
{{- if .Values.config.consoleHost }}
{{- $hosts = append $hosts .Values.config.consoleHost }}
{{- end }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts (regexReplaceAll "^\\*\\." (toString .) ".") }}
{{- end }}
{{- join "," (uniq $hosts) }}
{{- end }}
{{- end }}

{{/*
ConfigMap data, shared by the release ConfigMap and the migrations hook copy.
*/}}
{{- define "jiyue.configData" -}}
DJANGO_SETTINGS_MODULE: "jiyue.settings"
JIYUE_CONSOLE_HOST: {{ .Values.config.consoleHost | quote }}
JIYUE_ALLOWED_HOSTS: {{ include "jiyue.allowedHosts" . | quote }}
JIYUE_S3_ENDPOINT_URL: {{ .Values.config.s3EndpointUrl | quote }}
JIYUE_S3_BUCKET: {{ .Values.config.s3Bucket | quote }}
{{- range $key, $value := .Values.config.extraEnv }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/*
Secret data (base64), shared by the release Secret and the migrations hook copy.
*/}}
{{- define "jiyue.secretData" -}}
DATABASE_URL: {{ required "secrets.databaseUrl is required when secrets.create is true" .Values.secrets.databaseUrl | b64enc | quote }}
REDIS_URL: {{ required "secrets.redisUrl is required when secrets.create is true" .Values.secrets.redisUrl | b64enc | quote }}
JIYUE_SECRET_KEY: {{ required "secrets.secretKey is required when secrets.create is true" .Values.secrets.secretKey | b64enc | quote }}
{{- with .Values.secrets.awsAccessKeyId }}
AWS_ACCESS_KEY_ID: {{ . | b64enc | quote }}
{{- end }}
{{- with .Values.secrets.awsSecretAccessKey }}
AWS_SECRET_ACCESS_KEY: {{ . | b64enc | quote }}
{{- end }}
{{- range $key, $value := .Values.secrets.extra }}
{{ $key }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end }}

{{/*
Pod annotations: checksums of the ConfigMap and Secret, so pods roll when they change.
*/}}
{{- define "jiyue.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod-level settings shared by every workload: pull secrets, security context, scheduling.
*/}}
{{- define "jiyue.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
