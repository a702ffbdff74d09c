"""The photos, their uploads and the files waiting removal, taken over from the recovery app with their
tables and their rows: no table, index or constraint is created."""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('recovery', '0030_photos_to_their_app'),
        ('treatments', '0010_product_hibc'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DiscardedFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('storage', models.CharField(default='photos', max_length=20)),
                        ('name', models.CharField(max_length=200)),
                        ('discarded_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'recovery_discardedfile',
                        'constraints': [models.UniqueConstraint(fields=('storage', 'name'), name='file_discarded_once')],
                    },
                ),
                migrations.CreateModel(
                    name='Photo',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('area', models.CharField(choices=[('face', 'Face'), ('neck', 'Neck'), ('decolletage', 'Décolletage'), ('scalp', 'Scalp'), ('hands', 'Hands'), ('other', 'Other')], max_length=20, verbose_name='area')),
                        ('source', models.CharField(choices=[('session', 'At the session'), ('patient', 'From the patient'), ('staff', 'From staff, with a report')], max_length=10, verbose_name='from')),
                        ('added_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='added at')),
                        ('image_name', models.CharField(max_length=200, unique=True)),
                        ('thumbnail_name', models.CharField(max_length=200, unique=True)),
                        ('width', models.PositiveIntegerField()),
                        ('height', models.PositiveIntegerField()),
                        ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='photos', to='recovery.reactionreport')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='photos', to='treatments.treatmentsession')),
                    ],
                    options={
                        'db_table': 'recovery_photo',
                        'ordering': ['added_at'],
                    },
                ),
                migrations.CreateModel(
                    name='PhotoUpload',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('source', models.CharField(choices=[('session', 'At the session'), ('patient', 'From the patient'), ('staff', 'From staff, with a report')], max_length=10)),
                        ('area', models.CharField(blank=True, choices=[('face', 'Face'), ('neck', 'Neck'), ('decolletage', 'Décolletage'), ('scalp', 'Scalp'), ('hands', 'Hands'), ('other', 'Other')], max_length=20)),
                        ('name', models.CharField(blank=True, max_length=100)),
                        ('number', models.PositiveSmallIntegerField(default=1)),
                        ('size', models.PositiveBigIntegerField(default=0)),
                        ('raw_name', models.CharField(blank=True, max_length=200)),
                        ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('state', models.CharField(choices=[('pending', 'Being processed'), ('kept', 'Sent to the clinic'), ('refused', 'Not kept')], default='pending', max_length=10)),
                        ('refusal', models.CharField(blank=True, max_length=30)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('claimed_until', models.DateTimeField(blank=True, null=True)),
                        ('processed_at', models.DateTimeField(blank=True, null=True)),
                        ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('photo', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='upload', to='photos.photo')),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='photo_uploads', to='recovery.reactionreport')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='photo_uploads', to='treatments.treatmentsession')),
                    ],
                    options={
                        'db_table': 'recovery_photoupload',
                        'ordering': ['received_at', 'number'],
                    },
                ),
                migrations.AddIndex(
                    model_name='photo',
                    index=models.Index(fields=['session', 'added_at'], name='photo_session_time_idx'),
                ),
                migrations.AddConstraint(
                    model_name='photo',
                    constraint=models.CheckConstraint(condition=models.Q(('area__in', ['face', 'neck', 'decolletage', 'scalp', 'hands', 'other'])), name='photo_area_is_known'),
                ),
                migrations.AddConstraint(
                    model_name='photo',
                    constraint=models.CheckConstraint(condition=models.Q(('source__in', ['session', 'patient', 'staff'])), name='photo_source_is_known'),
                ),
                migrations.AddConstraint(
                    model_name='photo',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('report__isnull', True), ('source', 'session')), models.Q(models.Q(('source', 'session'), _negated=True), ('report__isnull', False)), _connector='OR'), name='photo_report_matches_source'),
                ),
                migrations.AddConstraint(
                    model_name='photo',
                    constraint=models.CheckConstraint(condition=models.Q(('source', 'patient'), ('added_by__isnull', False), _connector='OR'), name='staff_photo_names_its_author'),
                ),
                migrations.AddIndex(
                    model_name='photoupload',
                    index=models.Index(condition=models.Q(('state', 'pending')), fields=['received_at'], name='photo_upload_pending_idx'),
                ),
                migrations.AddIndex(
                    model_name='photoupload',
                    index=models.Index(fields=['report', 'received_at'], name='photo_upload_report_idx'),
                ),
                migrations.AddConstraint(
                    model_name='photoupload',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'kept', 'refused'])), name='photo_upload_state_is_known'),
                ),
                migrations.AddConstraint(
                    model_name='photoupload',
                    constraint=models.CheckConstraint(condition=models.Q(('source__in', ['session', 'patient', 'staff'])), name='photo_upload_source_is_known'),
                ),
                migrations.AddConstraint(
                    model_name='photoupload',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'pending'), _negated=True), models.Q(('raw_name', ''), _negated=True), _connector='OR'), name='pending_upload_has_its_file'),
                ),
                migrations.AddConstraint(
                    model_name='photoupload',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'refused'), _negated=True), models.Q(('refusal', ''), _negated=True), _connector='OR'), name='refused_upload_says_why'),
                ),
            ]
        ),
    ]
